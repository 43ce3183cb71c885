using System.Diagnostics;
using Mesh.Grpc.Protocol;

namespace Mesh.Grpc.Tests;

/// <summary>The process-wide deadline wheel: when a deadline fires, and that a disarmed one never does.</summary>
public sealed class DeadlineWheelTests
{
    sealed class Probe
    {
        public readonly TaskCompletionSource<TimeSpan> Fired = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly Stopwatch Clock = Stopwatch.StartNew();
    }

    static DeadlineWheel.Deadline Arm(DeadlineWheel wheel, TimeSpan delay, Probe probe) =>
        wheel.Arm(delay, static state => ((Probe)state).Fired.TrySetResult(((Probe)state).Clock.Elapsed), probe);

    [Fact]
    public async Task A_deadline_fires_once_its_delay_has_passed_and_not_before()
    {
        var wheel = new DeadlineWheel(TimeSpan.FromMilliseconds(10), 8);
        var probe = new Probe();

        Arm(wheel, TimeSpan.FromMilliseconds(120), probe);
        var elapsed = await probe.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(elapsed >= TimeSpan.FromMilliseconds(120), $"fired after {elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_disarmed_deadline_never_fires()
    {
        var wheel = new DeadlineWheel(TimeSpan.FromMilliseconds(10), 8);
        var disarmed = new Probe();
        var witness = new Probe();

        var deadline = Arm(wheel, TimeSpan.FromMilliseconds(50), disarmed);
        Assert.True(wheel.Disarm(deadline));
        // A later deadline in the same wheel: once it has fired, the disarmed one's time is long past.
        Arm(wheel, TimeSpan.FromMilliseconds(200), witness);
        await witness.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(disarmed.Fired.Task.IsCompleted);
    }

    [Fact]
    public async Task Disarming_a_deadline_that_fired_says_so_and_its_callback_has_returned()
    {
        var wheel = new DeadlineWheel(TimeSpan.FromMilliseconds(10), 8);
        var probe = new Probe();

        var deadline = Arm(wheel, TimeSpan.FromMilliseconds(20), probe);
        await probe.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var disarmed = wheel.Disarm(deadline);
        await DeadlineWheel.CallbackReturned(deadline).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(disarmed);
    }

    [Fact]
    public async Task Deadlines_a_whole_turn_of_the_wheel_apart_share_a_slot_and_each_fires_at_its_own_time()
    {
        // 4 slots of 10 ms: 30 ms and 30 + 40 ms land in the same slot.
        var wheel = new DeadlineWheel(TimeSpan.FromMilliseconds(10), 4);
        var early = new Probe();
        var late = new Probe();

        Arm(wheel, TimeSpan.FromMilliseconds(30), early);
        Arm(wheel, TimeSpan.FromMilliseconds(70), late);
        var earlyAt = await early.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var lateAt = await late.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(earlyAt >= TimeSpan.FromMilliseconds(30), $"early fired after {earlyAt.TotalMilliseconds} ms");
        Assert.True(lateAt >= TimeSpan.FromMilliseconds(70), $"late fired after {lateAt.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task A_delay_beyond_the_longest_is_held_back_not_fired_at_once()
    {
        var wheel = new DeadlineWheel(TimeSpan.FromMilliseconds(10), 8);
        var far = new Probe();
        var witness = new Probe();

        var deadline = Arm(wheel, TimeSpan.MaxValue, far);
        Arm(wheel, TimeSpan.FromMilliseconds(100), witness);
        await witness.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(far.Fired.Task.IsCompleted);
        Assert.True(wheel.Disarm(deadline));
    }

    [Fact]
    public async Task After_the_timer_stopped_for_lack_of_deadlines_a_new_one_still_fires()
    {
        var wheel = new DeadlineWheel(TimeSpan.FromMilliseconds(10), 8);
        var first = new Probe();
        Arm(wheel, TimeSpan.FromMilliseconds(20), first);
        await first.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));

        // The timer stops after a second with nothing armed.
        await Task.Delay(TimeSpan.FromMilliseconds(1500));
        var second = new Probe();
        Arm(wheel, TimeSpan.FromMilliseconds(20), second);
        var elapsed = await second.Fired.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(elapsed >= TimeSpan.FromMilliseconds(20), $"fired after {elapsed.TotalMilliseconds} ms");
    }
}
