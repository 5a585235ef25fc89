using Azure.Storage.Blobs;
using Remediation.Schedules;
using Remediation.Schedules.Deferrals;
using Remediation.Tests.Fixture;
using Xunit;

namespace Remediation.Tests.Schedules;

/// <summary>Deferred runs on the fixture's Azurite: the first of many alerts for one run is kept, and read back whole per occurrence and target.</summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class BlobDeferredRunsEndToEndTests(TargetHostFixture fixture)
{
    [Fact]
    public async Task AddThenList_KeepsTheFirstOfTheSameRun_AndReadsItBackForItsOccurrenceAndTargetOnly()
    {
        var deferred = new BlobDeferredRuns(new BlobServiceClient(fixture.Facts.StorageConnectionString));
        DateTime start = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(Random.Shared.Next(1, 500_000));
        var occurrence = new WindowOccurrence("e2e-deferrals", start, start.AddHours(1), start);
        var first = new DeferredRun
        {
            Request = new AutomaticRunRequest
            {
                Target = "demo", Procedure = "restart-service", Service = "odoo", Reason = "OdooDown firing",
                RequestedBy = "alertmanager", Severity = "warning", SourceFingerprint = "c6eadffa33fcdf37",
            },
            Window = occurrence.Window,
            WindowStartUtc = start,
            Freeze = "release",
            Decision = "freeze 'release' until 18:00 UTC",
            DeferredAtUtc = start.AddHours(-2),
        };

        Assert.True(await deferred.AddAsync(first, CancellationToken.None));
        Assert.False(await deferred.AddAsync(first with { Request = first.Request with { SourceFingerprint = "another", Reason = "again" } }, CancellationToken.None));
        Assert.True(await deferred.AddAsync(first with { Request = first.Request with { Service = "nginx" }, DeferredAtUtc = start.AddHours(-1) }, CancellationToken.None));

        IReadOnlyList<DeferredRun> waiting = await deferred.ListAsync(occurrence, "demo", CancellationToken.None);
        Assert.Equal(["odoo", "nginx"], waiting.Select(r => r.Request.Service));
        Assert.Equal(first, waiting[0]);
        Assert.Empty(await deferred.ListAsync(occurrence, "demo-systemd", CancellationToken.None));
        Assert.Empty(await deferred.ListAsync(occurrence with { StartUtc = start.AddDays(1) }, "demo", CancellationToken.None));
    }
}
