using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Remediation.Intake.Escalations;
using Xunit;

namespace Remediation.Tests.Intake.Escalations;

/// <summary>One escalation per problem per interval: repeats are counted on it, a claim whose run never existed is taken over.</summary>
[Trait("Category", "Unit")]
public sealed class EscalationRepeatsTests
{
    private const string Problem = "restart-service.odoo";
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 3, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryEscalationLog _log = new();
    private readonly HashSet<string> _runs = new(StringComparer.Ordinal);

    private EscalationRepeats Repeats(TimeSpan? repeatAfter = null) =>
        new(_log, Options.Create(new EscalationOptions { RepeatAfter = repeatAfter ?? TimeSpan.FromHours(1) }), _clock);

    private async Task<EscalationClaim> ClaimAsync(EscalationRepeats repeats, string id, string problem = Problem)
    {
        EscalationClaim claim = await repeats.ClaimAsync("demo", problem, id, (run, _) => Task.FromResult(_runs.Contains(run)), CancellationToken.None);
        if (claim.IsNew)
        {
            _runs.Add(claim.InstanceId);   // as the intake does: scheduled right after the claim
        }

        return claim;
    }

    [Fact]
    public async Task ClaimAsync_WithinTheInterval_CountsRepeatsOnTheFirst_AndEscalatesAgainAfterIt()
    {
        EscalationRepeats repeats = Repeats();

        EscalationClaim first = await ClaimAsync(repeats, "esc-1");
        _clock.Advance(TimeSpan.FromMinutes(5));
        EscalationClaim second = await ClaimAsync(repeats, "esc-2");
        _clock.Advance(TimeSpan.FromMinutes(50));
        EscalationClaim third = await ClaimAsync(repeats, "esc-3");
        EscalationClaim otherProblem = await ClaimAsync(repeats, "esc-pg", "restart-postgresql.postgresql");
        _clock.Advance(TimeSpan.FromMinutes(5));
        EscalationClaim afterTheHour = await ClaimAsync(repeats, "esc-4");

        Assert.True(first.IsNew);
        Assert.Equal((false, "esc-1", 1), (second.IsNew, second.InstanceId, second.Repeats));
        Assert.Equal((false, "esc-1", 2), (third.IsNew, third.InstanceId, third.Repeats));
        Assert.Equal(first.EscalatedAtUtc.AddHours(1), third.RepeatsUntilUtc);
        Assert.True(otherProblem.IsNew);
        Assert.Equal((true, "esc-4"), (afterTheHour.IsNew, afterTheHour.InstanceId));
        Assert.Equal(("esc-1", 2), (afterTheHour.Previous!.InstanceId, afterTheHour.Previous.Repeats));
        Assert.Null(first.Previous);
        Assert.Equal(0, _log.EntryOf("demo", Problem)!.Repeats);
    }

    [Fact]
    public async Task ClaimAsync_ClaimWhoseRunWasNeverScheduled_IsTakenOverOnlyAfterTheGrace()
    {
        EscalationRepeats repeats = Repeats();
        EscalationClaim orphan = await repeats.ClaimAsync("demo", Problem, "esc-died", (_, _) => Task.FromResult(false), CancellationToken.None);

        _clock.Advance(TimeSpan.FromSeconds(10));
        EscalationClaim tooSoon = await ClaimAsync(repeats, "esc-2");
        _clock.Advance(EscalationRepeats.SchedulingGrace);
        EscalationClaim takenOver = await ClaimAsync(repeats, "esc-3");

        Assert.True(orphan.IsNew);
        Assert.Equal((false, "esc-died"), (tooSoon.IsNew, tooSoon.InstanceId));
        Assert.Equal((true, "esc-3"), (takenOver.IsNew, takenOver.InstanceId));
    }

    [Fact]
    public async Task ClaimAsync_RepeatAfterZero_EscalatesEveryTime()
    {
        EscalationRepeats repeats = Repeats(TimeSpan.Zero);

        Assert.True((await ClaimAsync(repeats, "esc-1")).IsNew);
        Assert.True((await ClaimAsync(repeats, "esc-2")).IsNew);
    }

    [Fact]
    public async Task ClaimAsync_ManyAtOnce_ExactlyOneIsNew()
    {
        EscalationRepeats repeats = Repeats();

        EscalationClaim[] claims = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => ClaimAsync(repeats, $"esc-{i}"))));

        EscalationClaim winner = Assert.Single(claims, c => c.IsNew);
        Assert.All(claims, c => Assert.Equal(winner.InstanceId, c.InstanceId));
    }
}
