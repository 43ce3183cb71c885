namespace Mesh.Sync.Domain;

/// <summary>The Status values this service writes in its responses (HTTP-style codes, as the seed's 201).</summary>
public static class MeshStatus
{
    public const long Success = 201;
    public const string SuccessDescription = "Operation completed successfully";
    public const long BadRequest = 400;
    public const long Forbidden = 403;
    public const long NotFound = 404;
    public const long Conflict = 409;
    public const long TooLarge = 413;
}

/// <summary>Per-entry results of a Transact (protocol -09 §10.12.3).</summary>
public static class EntryResult
{
    public const string Accept = "Accept";
    public const string Reject = "Reject";
    public const string Conflict = "Conflict";
}
