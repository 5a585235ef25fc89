using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using Remediation.Intake.Escalations;
using Remediation.Tests.Fixture;
using Xunit;

namespace Remediation.Tests.Intake.Escalations;

/// <summary>Escalation entries on the fixture's Azurite: of many processes escalating one problem at once, one escalates and the others count on it.</summary>
[Trait("Category", "EndToEnd")]
[Collection(TargetHostCollection.Name)]
public sealed class BlobEscalationLogEndToEndTests(TargetHostFixture fixture)
{
    [Fact]
    public async Task ClaimAsync_ProcessesAtOnce_OneEscalates_AndTheRepeatsAreStored()
    {
        var blobs = new BlobServiceClient(fixture.Facts.StorageConnectionString);
        string target = "e2e-escalations-" + Guid.NewGuid().ToString("N")[..8];
        var scheduled = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>(StringComparer.Ordinal);

        // Each "process" has its own log client over the same account, as separate servers do.
        EscalationClaim[] claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            var repeats = new EscalationRepeats(new BlobEscalationLog(blobs), Options.Create(new EscalationOptions()), TimeProvider.System);
            EscalationClaim claim = await repeats.ClaimAsync(target, "restart-service.odoo", $"esc-{i}", (id, _) => Task.FromResult(scheduled.ContainsKey(id)), CancellationToken.None);
            if (claim.IsNew)
            {
                scheduled[claim.InstanceId] = true;
            }

            return claim;
        }));

        EscalationClaim winner = Assert.Single(claims, c => c.IsNew);
        Assert.All(claims, c => Assert.Equal(winner.InstanceId, c.InstanceId));
        (EscalationEntry? stored, string? etag) = await new BlobEscalationLog(blobs).ReadAsync(target, "restart-service.odoo", CancellationToken.None);
        Assert.NotNull(etag);
        Assert.Equal(winner.InstanceId, stored!.InstanceId);
        Assert.InRange(stored.Repeats, 1, 7);
        Assert.Equal((null, null), await new BlobEscalationLog(blobs).ReadAsync(target, "restart-stack.all", CancellationToken.None));
    }
}
