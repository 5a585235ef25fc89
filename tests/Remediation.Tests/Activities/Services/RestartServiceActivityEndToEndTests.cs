using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Remediation.Activities.Services;
using Remediation.Tests.Fixture;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.Activities.Services;

/// <summary>The restart step delivered twice at once (a storage outage, a completion sent but not saved) restarts the service once, on the real targets.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class RestartServiceActivityEndToEndTests : IAsyncLifetime
{
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly ServiceProvider _services;

    public RestartServiceActivityEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Remediation:InventoryFile"] = fixture.Facts.InventoryFile,
        }).Build();
        _services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(configuration)
            .AddRemediationCore(configuration)
            .BuildServiceProvider();
    }

    public Task InitializeAsync() => _fixture.RestoreBaselineAsync();

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fixture.RestoreBaselineAsync();
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task TwoDeliveriesAtOnce_RestartOnce_TheOtherWaitsAndReportsTheNewProcess(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        int pidBefore = await target.GetPidAsync("odoo") ?? throw new InvalidOperationException("odoo does not run");
        string mark = await target.MarkAsync();
        var command = new RestartServiceCommand(targetName, "odoo", pidBefore);
        var context = new Context("e2e" + Guid.NewGuid().ToString("N")[..12]);

        RestartAttempt[] attempts = await Task.WhenAll(
            Task.Run(() => NewActivity().RunAsync(context, command)),
            Task.Run(() => NewActivity().RunAsync(context, command)));

        foreach (RestartAttempt attempt in attempts)
        {
            _output.WriteLine($"{attempt.Action} changed={attempt.Changed} after={attempt.After?.MainPid}: {attempt.Summary}");
        }

        Assert.Equal(1, await target.CountStartsAsync("odoo", mark));
        Assert.Single(attempts, a => a.Changed && a.Action == "restart");
        RestartAttempt waited = Assert.Single(attempts, a => !a.Changed);
        int? pidAfter = await target.GetPidAsync("odoo");
        Assert.NotEqual(pidBefore, pidAfter);
        Assert.Equal(pidAfter, waited.After?.MainPid);
        await AssertClaimRemovedAsync(target, context, command);
    }

    [Theory]
    [MemberData(nameof(TargetUnderTest.Both), MemberType = typeof(TargetUnderTest))]
    public async Task SameStepAgainAfterItsRestart_DoesNotRestartAgain(string targetName)
    {
        TargetUnderTest target = _fixture.Target(targetName);
        int pidBefore = await target.GetPidAsync("odoo") ?? throw new InvalidOperationException("odoo does not run");
        var command = new RestartServiceCommand(targetName, "odoo", pidBefore);
        var context = new Context("e2e" + Guid.NewGuid().ToString("N")[..12]);
        RestartAttempt first = await NewActivity().RunAsync(context, command);
        string mark = await target.MarkAsync();

        RestartAttempt again = await NewActivity().RunAsync(context, command);

        _output.WriteLine(first.Summary + "\n" + again.Summary);
        Assert.True(first.Changed);
        Assert.False(again.Changed);
        Assert.Equal(0, await target.CountStartsAsync("odoo", mark));
        await AssertClaimRemovedAsync(target, context, command);
    }

    /// <summary>Once the service runs as a new process the claim is gone from the target's /tmp: no litter per restart.</summary>
    private static async Task AssertClaimRemovedAsync(TargetUnderTest target, Context context, RestartServiceCommand command)
    {
        string claim = "/tmp/remediation-claim-" + RestartClaim.KeyOf(context.InstanceId, command.Target, command.Service, command.ExpectedPid);
        LocalCommandResult probe = await target.RunOverSshAsync("test -e " + claim);
        Assert.True(probe.ExitCode == 1, $"{claim} is still on {target.Name} (test -e: exit {probe.ExitCode} {probe.Output})");
    }

    // Each delivery gets the host's singletons (the claim registry among them) from one container, as in the server.
    private RestartServiceActivity NewActivity() => ActivatorUtilities.CreateInstance<RestartServiceActivity>(_services);

    private sealed class Context(string instanceId) : TaskActivityContext
    {
        public override TaskName Name { get; } = nameof(RestartServiceActivity);

        public override string InstanceId { get; } = instanceId;
    }
}
