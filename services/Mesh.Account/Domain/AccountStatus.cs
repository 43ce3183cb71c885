namespace Mesh.Account.Domain;

/// <summary>The Status values of BindResponse and UnbindResponse (HTTP-style, as the seed's 201).</summary>
public static class AccountStatus
{
    public const long Success = 201;
    public const string SuccessDescription = "Operation completed successfully";
    public const long BadRequest = 400;
    public const long Forbidden = 403;
    public const long NotFound = 404;
    public const long Conflict = 409;
    public const long Unavailable = 503;
}

/// <summary>A request the service answers with an error Status and a description naming the problem.</summary>
public sealed class AccountRequestException(long status, string description) : Exception(description)
{
    public long Status { get; } = status;
}
