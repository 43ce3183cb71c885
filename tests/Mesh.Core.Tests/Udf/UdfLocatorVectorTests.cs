using System.Text.RegularExpressions;
using Mesh.Core.Udf;
using UdfApi = Mesh.Core.Udf.Udf;

namespace Mesh.Core.Tests.Udf;

/// <summary>EARL, locator, SIN and type table vectors.</summary>
public class UdfLocatorVectorTests
{
    [Fact]
    public void UDFDigestEARL_encryption_key_forms_the_printed_EARL()
    {
        var vector = new VectorText("UDFDigestEARL.md");
        var key = vector.Udfs()[0];
        Assert.Equal(UdfKind.EncryptionKey, UdfApi.Parse(key).Kind);
        var earl = vector.Text.Split('\n').Single(l => l.StartsWith("udf://")).Trim();
        Assert.Equal(earl, UdfUri.Locator("example.com", key).ToString());
    }

    [Fact]
    public void UDFDigestEARL_raw_parses_as_a_locator_holding_an_encryption_key()
    {
        var text = new VectorText("UDFDigestEARL-raw.md").Text.Trim();
        var uri = UdfUri.Parse(text);
        Assert.True(uri.IsLocator);
        Assert.Equal("example.com", uri.Domain);
        Assert.Equal(UdfKind.EncryptionKey, UdfApi.Parse(uri.Value).Kind);
        Assert.Equal(text, uri.ToString());
    }

    [Fact]
    public void UDFDigestEARLLocator_identifier_and_resolution_URL_are_reproduced()
    {
        var vector = new VectorText("UDFDigestEARLLocator.md");
        var udfs = vector.Udfs();
        var key = udfs[0];
        Assert.Equal(udfs[1], UdfApi.EncryptionKeyIdentifier(key));
        var url = vector.Text.Split('\n').Last(l => l.StartsWith("https://example.com/.well-known/mmm-udf/M")).Trim();
        Assert.Equal(url, UdfUri.Locator("example.com", key).ResolutionUrl());
    }

    [Fact]
    public void UDFsin_strong_addresses_carry_the_CA_fingerprint_label()
    {
        var vector = new VectorText("UDFsin.md");
        var fingerprint = Regex.Match(vector.Text, @"UDF fingerprint\s+([A-Z2-7-]+)\.").Groups[1].Value;
        var addresses = Regex.Matches(vector.Text, @"<dt>(\S+)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, addresses.Count);

        Assert.Equal(("alice@example.com", (string?)null), StrongInternetName.Parse(addresses[0]));
        foreach (var strong in addresses.Skip(1))
        {
            var (plain, udf) = StrongInternetName.Parse(strong);
            Assert.Equal(addresses[0], plain);
            Assert.Equal(UdfApi.Canonical(fingerprint), UdfApi.Canonical(udf!));
            Assert.Contains(StrongInternetName.Label(fingerprint), strong);
        }
    }

    [Fact]
    public void UDFTableReservedId_codes_are_assigned_with_the_described_kind()
    {
        var rows = Regex.Matches(new VectorText("UDFTableReservedId.md").Text, @"^(\d+)\s+(.+?)\s+\[This document\]", RegexOptions.Multiline);
        Assert.Equal(14, rows.Count);
        foreach (Match row in rows)
        {
            var code = byte.Parse(row.Groups[1].Value);
            var description = row.Groups[2].Value;
            Assert.True(UdfTypeCodes.IsAssigned(code), $"code {code} ({description}) is not assigned");
            var expected = description switch
            {
                var d when d.StartsWith("HMAC") => UdfKind.Authenticator,
                var d when d.StartsWith("HKDF") => UdfKind.EncryptionKey,
                var d when d.StartsWith("SHA-") => UdfKind.ContentDigest,
                "Random nonce" => UdfKind.Nonce,
                "Shamir Secret Share" => UdfKind.Share,
                _ => throw new InvalidDataException($"unexpected description '{description}'"),
            };
            Assert.Equal(expected, ((UdfTypeCode)code).Kind());
            if (description.StartsWith("SHA-3")) Assert.InRange(code, 80, 84);
            if (description.StartsWith("SHA-2")) Assert.InRange(code, 96, 100);
        }
    }
}
