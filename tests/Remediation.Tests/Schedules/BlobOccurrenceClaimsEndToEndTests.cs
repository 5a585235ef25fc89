using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using Remediation.Schedules;
using Remediation.Schedules.Scheduling;
using Remediation.Tests.Fixture;
using Xunit;

namespace Remediation.Tests.Schedules;

/// <summary>Occurrence claims on the fixture's Azurite: created once, taken over only when old, by a conditional write.</summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class BlobOccurrenceClaimsEndToEndTests(TargetHostFixture fixture)
{
    [Fact]
    public async Task AClaim_IsTakenOnce_AndTakenOverOnlyOnceItIsOlderThanTheBound()
    {
        var blobs = new BlobServiceClient(fixture.Facts.StorageConnectionString);
        var claims = new BlobOccurrenceClaims(blobs, TimeProvider.System);
        DateTime start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(Random.Shared.Next(1, 500_000));
        var occurrence = new WindowOccurrence("e2e-claims", start, start.AddHours(1), start);

        Assert.True(await claims.TryClaimAsync(occurrence, "dead-process", CancellationToken.None));
        Assert.False(await claims.TryClaimAsync(occurrence, "other-process", CancellationToken.None));
        Assert.False(await claims.TryTakeOverAsync(occurrence, "other-process", TimeSpan.FromHours(1), CancellationToken.None));
        Assert.Equal("dead-process", await ClaimantAsync(blobs, occurrence));

        Assert.True(await claims.TryTakeOverAsync(occurrence, "other-process", TimeSpan.Zero, CancellationToken.None));
        Assert.Equal("other-process", await ClaimantAsync(blobs, occurrence));

        await claims.ReleaseAsync(occurrence, CancellationToken.None);
        Assert.False(await claims.TryTakeOverAsync(occurrence, "third-process", TimeSpan.Zero, CancellationToken.None));
        Assert.True(await claims.TryClaimAsync(occurrence, "third-process", CancellationToken.None));
    }

    private static async Task<string> ClaimantAsync(BlobServiceClient blobs, WindowOccurrence occurrence)
    {
        BlobClient blob = blobs.GetBlobContainerClient(BlobOccurrenceClaims.Container).GetBlobClient($"{occurrence.Window}/{occurrence.Key}.json");
        return JsonNode.Parse((await blob.DownloadContentAsync()).Value.Content.ToString())!["claimant"]!.GetValue<string>();
    }
}
