using Mesh.Core.Cryptography;
using Mesh.Core.Udf;

namespace Mesh.Client.Keys;

/// <summary>
/// Key pairs derived from one secret seed UDF (type Z) so that escrowing the seed recovers every
/// private key of the profile. Signature keys are Ed448 and agreement keys X448, as the Alice
/// vectors show.
/// </summary>
public sealed class ProfileKeySet : IDisposable
{
    readonly Dictionary<MeshKeyOperation, KeyPair> keys = [];

    ProfileKeySet(string seed, MeshActor actor)
    {
        Seed = seed;
        Actor = actor;
    }

    /// <summary>The seed UDF; secret: store sealed, show only when the user exports it.</summary>
    public string Seed { get; }

    public MeshActor Actor { get; }

    /// <summary>A fresh 256-bit seed for <paramref name="actor"/>.</summary>
    public static ProfileKeySet Generate(MeshActor actor) =>
        FromSeed(UdfKeyDerivation.NewSeed(SeedAlgorithm(actor), bits: 256), actor);

    /// <summary>Re-derives the keys of an existing seed (recovery); the seed must name the actor's profile type.</summary>
    public static ProfileKeySet FromSeed(string seed, MeshActor actor)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var (algorithm, _) = UdfKeyDerivation.Specifier(seed);
        if (algorithm != SeedAlgorithm(actor))
            throw new MeshClientException($"seed is for {algorithm}, not a {SeedAlgorithm(actor)} seed");
        return new ProfileKeySet(seed, actor);
    }

    public static UdfKeyAlgorithm SeedAlgorithm(MeshActor actor) =>
        actor == MeshActor.Account ? UdfKeyAlgorithm.MeshProfileAccount : UdfKeyAlgorithm.MeshProfileDevice;

    public SignatureKeyPair ProfileSignature => Signature(MeshKeyOperation.Profile);

    public SignatureKeyPair Signature(MeshKeyOperation operation) => (SignatureKeyPair)Get(operation, UdfKeyAlgorithm.Ed448);

    public AgreementKeyPair Agreement(MeshKeyOperation operation) => (AgreementKeyPair)Get(operation, UdfKeyAlgorithm.X448);

    /// <summary>The profile's identifier: the UDF fingerprint of its profile signature key.</summary>
    public string ProfileUdf => Udf.KeyFingerprint(ProfileSignature);

    KeyPair Get(MeshKeyOperation operation, UdfKeyAlgorithm algorithm)
    {
        if (IsSignature(operation) != (algorithm == UdfKeyAlgorithm.Ed448))
            throw new MeshClientException($"{operation} keys are not {algorithm} keys");
        if (!keys.TryGetValue(operation, out var key))
        {
            key = UdfKeyDerivation.DeriveKey(Seed, algorithm, MeshKeyNames.For(Actor, operation));
            keys[operation] = key;
        }
        return key;
    }

    static bool IsSignature(MeshKeyOperation operation) =>
        operation is MeshKeyOperation.Profile or MeshKeyOperation.Sign or MeshKeyOperation.AdminSign;

    public void Dispose()
    {
        foreach (var key in keys.Values) key.Dispose();
        keys.Clear();
    }
}
