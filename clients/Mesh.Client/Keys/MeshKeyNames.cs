namespace Mesh.Client.Keys;

/// <summary>Who holds a derived key (the reference's MeshActor labels).</summary>
public enum MeshActor
{
    Account,
    Device,
}

/// <summary>What a derived key is for (the reference's MeshKeyOperation labels).</summary>
public enum MeshKeyOperation
{
    Profile,
    Encrypt,
    Sign,
    Authenticate,
    AdminSign,
    Escrow,
}

/// <summary>
/// The UDF key name of a profile key: "{type}_{actor}_{operation}", e.g. "Complete_Account_Profile".
/// The schema draft names the three parts but its list is cut off; the labels and the underscore
/// join are those of the reference implementation, so seeds escrowed there derive the same keys.
/// All keys here are "Complete" (held whole by the device, no threshold activation contribution).
/// </summary>
public static class MeshKeyNames
{
    public const string Complete = "Complete";

    public static string For(MeshActor actor, MeshKeyOperation operation) => $"{Complete}_{actor}_{operation}";
}
