using System.Net;
using System.Text.Json;

namespace Mesh.Integration.Tests.Support;

/// <summary>Reads /health/ready until it answers the expected status.</summary>
internal static class Health
{
    public sealed record Report(HttpStatusCode StatusCode, JsonElement Body)
    {
        public string CheckStatus(string check) => Body.GetProperty("checks").GetProperty(check).GetProperty("status").GetString()!;

        public string CheckDescription(string check) => Body.GetProperty("checks").GetProperty(check).GetProperty("description").GetString()!;

        public IEnumerable<string> Checks => Body.GetProperty("checks").EnumerateObject().Select(p => p.Name);
    }

    public static async Task<Report> GetAsync(HttpClient client, string path = "/health/ready")
    {
        using var response = await client.GetAsync(path);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return new Report(response.StatusCode, body);
    }

    public static async Task<Report> AwaitAsync(HttpClient client, HttpStatusCode expected, TimeSpan timeout, string path = "/health/ready")
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var report = await GetAsync(client, path);
            if (report.StatusCode == expected || DateTime.UtcNow > deadline)
                return report;
            await Task.Delay(200);
        }
    }
}
