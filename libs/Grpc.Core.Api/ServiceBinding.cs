namespace Grpc.Core;

public delegate Task<TResponse> UnaryServerMethod<TRequest, TResponse>(TRequest request, ServerCallContext context)
    where TRequest : class where TResponse : class;

public delegate Task<TResponse> ClientStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context)
    where TRequest : class where TResponse : class;

public delegate Task ServerStreamingServerMethod<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context)
    where TRequest : class where TResponse : class;

public delegate Task DuplexStreamingServerMethod<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context)
    where TRequest : class where TResponse : class;

/// <summary>
/// Receives the methods of a service from its generated BindService(ServiceBinderBase, TBase).
/// The handler is null when the binder is asked for the method list only (the transport then
/// creates the service per call).
/// </summary>
public abstract class ServiceBinderBase
{
    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class;

    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class;

    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class;

    public abstract void AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse>? handler)
        where TRequest : class where TResponse : class;
}

/// <summary>Names the static method that binds a generated service base (BindService) so a transport can find it.</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true, AllowMultiple = false)]
public sealed class BindServiceMethodAttribute(Type bindType, string bindMethodName) : Attribute
{
    public Type BindType { get; } = bindType;

    public string BindMethodName { get; } = bindMethodName;
}

/// <summary>A service instance's methods with their handlers, as built by the generated BindService(TBase).</summary>
public sealed class ServerServiceDefinition
{
    readonly IReadOnlyList<Action<ServiceBinderBase>> addMethodActions;

    ServerServiceDefinition(IReadOnlyList<Action<ServiceBinderBase>> addMethodActions)
    {
        this.addMethodActions = addMethodActions;
    }

    public static Builder CreateBuilder() => new();

    /// <summary>Hands every method and handler to a binder.</summary>
    public void BindService(ServiceBinderBase serviceBinder)
    {
        ArgumentNullException.ThrowIfNull(serviceBinder);
        foreach (var add in addMethodActions) add(serviceBinder);
    }

    public sealed class Builder
    {
        readonly Dictionary<string, Action<ServiceBinderBase>> methods = new(StringComparer.Ordinal);

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class
            => Add(method, binder => binder.AddMethod(method, handler));

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class
            => Add(method, binder => binder.AddMethod(method, handler));

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class
            => Add(method, binder => binder.AddMethod(method, handler));

        public Builder AddMethod<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
            where TRequest : class where TResponse : class
            => Add(method, binder => binder.AddMethod(method, handler));

        public ServerServiceDefinition Build() => new([.. methods.Values]);

        Builder Add(IMethod method, Action<ServiceBinderBase> add)
        {
            ArgumentNullException.ThrowIfNull(method);
            if (!methods.TryAdd(method.FullName, add)) throw new ArgumentException($"Method {method.FullName} is already added.", nameof(method));
            return this;
        }
    }
}
