using System.Diagnostics;

namespace Mesh.Grpc.Protocol;

/// <summary>
/// One timer for the deadlines of every call in the process: a wheel of slots one tick apart, each
/// a list of armed deadlines. Arming and disarming take a lock and a list node, where a Timer per call
/// costs a timer-queue entry and a finalizable object on both sides of every call. A deadline fires up
/// to one tick late; its callback runs on the thread pool. The wheel's own timer runs only while
/// deadlines are armed (and a second after, so a stream of short calls does not start and stop it).
/// </summary>
internal sealed class DeadlineWheel
{
    /// <summary>The process's wheel: 10 ms ticks.</summary>
    public static DeadlineWheel Shared { get; } = new(TimeSpan.FromMilliseconds(10), 1024);

    const int Armed = 0, Firing = 1, Done = 2;

    /// <summary>The longest delay armed as given (about 49 days, a Timer's limit).</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>One armed deadline; <see cref="Disarm"/> it when the call ends first.</summary>
    public sealed class Deadline
    {
        internal Deadline? Previous, Next;
        internal long DueTick;
        internal Action<object> Callback = null!;
        internal object State = null!;
        internal int Stage;
        // Made when the deadline fires (rarely): completes once its callback has returned.
        internal TaskCompletionSource? Returned;
    }

    readonly long tickLength;
    readonly Deadline?[] slots;
    readonly Lock gate = new();
    readonly Timer timer;
    readonly TimeSpan tick;
    long processedTick;
    int armed;
    bool running;
    long idleTicks;

    public DeadlineWheel(TimeSpan tick, int slotCount)
    {
        this.tick = tick;
        tickLength = (long)(tick.TotalSeconds * Stopwatch.Frequency);
        slots = new Deadline?[slotCount];
        processedTick = Stopwatch.GetTimestamp() / tickLength;
        timer = new Timer(static state => ((DeadlineWheel)state!).OnTick(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>Arms a deadline <paramref name="delay"/> from now; <paramref name="callback"/> gets <paramref name="state"/>.</summary>
    public Deadline Arm(TimeSpan delay, Action<object> callback, object state)
    {
        // Longer deadlines (grpc-timeout allows years) fire after MaxDelay, as a Timer's would after its own limit.
        var seconds = Math.Clamp(delay.TotalSeconds, 0, MaxDelay.TotalSeconds);
        var due = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        var deadline = new Deadline { DueTick = (due + tickLength - 1) / tickLength, Callback = callback, State = state };
        lock (gate)
        {
            // A tick already processed is never walked again: a deadline due by then goes in the next one.
            if (deadline.DueTick <= processedTick) deadline.DueTick = processedTick + 1;
            var slot = (int)(deadline.DueTick % slots.Length);
            deadline.Next = slots[slot];
            if (deadline.Next is not null) deadline.Next.Previous = deadline;
            slots[slot] = deadline;
            armed++;
            idleTicks = 0;
            if (!running)
            {
                running = true;
                timer.Change(tick, tick);
            }
        }
        return deadline;
    }

    /// <summary>
    /// True when the deadline will never fire; false when its callback has run or is running
    /// (<see cref="CallbackReturned"/> says when it has returned).
    /// </summary>
    public bool Disarm(Deadline deadline)
    {
        lock (gate)
        {
            if (deadline.Stage != Armed) return false;
            Unlink(deadline);
            deadline.Stage = Done;
            return true;
        }
    }

    /// <summary>
    /// After <see cref="Disarm"/> said false: completes once the deadline's callback has returned
    /// (<see cref="Deadline.Returned"/> is set under the wheel's lock before Disarm can see it fired).
    /// </summary>
    public static Task CallbackReturned(Deadline deadline) => deadline.Returned?.Task ?? Task.CompletedTask;

    void Unlink(Deadline deadline)
    {
        if (deadline.Previous is not null) deadline.Previous.Next = deadline.Next;
        else slots[(int)(deadline.DueTick % slots.Length)] = deadline.Next;
        if (deadline.Next is not null) deadline.Next.Previous = deadline.Previous;
        deadline.Previous = deadline.Next = null;
        armed--;
    }

    void OnTick()
    {
        List<Deadline>? due = null;
        lock (gate)
        {
            var now = Stopwatch.GetTimestamp() / tickLength;
            // After a long stall every slot is walked once; otherwise the ticks since the last one.
            var first = Math.Max(processedTick + 1, now - slots.Length + 1);
            for (var t = first; t <= now; t++)
            {
                for (var deadline = slots[(int)(t % slots.Length)]; deadline is not null;)
                {
                    var next = deadline.Next;
                    if (deadline.DueTick <= now)
                    {
                        Unlink(deadline);
                        deadline.Stage = Firing;
                        deadline.Returned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                        (due ??= []).Add(deadline);
                    }
                    deadline = next;
                }
            }
            processedTick = Math.Max(processedTick, now);
            if (armed == 0 && ++idleTicks * tick.TotalMilliseconds >= 1000)
            {
                running = false;
                timer.Change(Timeout.Infinite, Timeout.Infinite);
            }
        }
        if (due is null) return;
        foreach (var deadline in due)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static deadline =>
            {
                try
                {
                    deadline.Callback(deadline.State);
                }
                finally
                {
                    Volatile.Write(ref deadline.Stage, Done);
                    deadline.Returned!.TrySetResult();
                }
            }, deadline, preferLocal: false);
        }
    }
}
