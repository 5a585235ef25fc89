using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;
using Remediation.Tests.Fixture;
using Remediation.Tests.Ssh;
using Xunit;
using Xunit.Abstractions;

namespace Remediation.Tests.ServiceManagers;

/// <summary>The supervisor manager and the leftover-process commands over real SSH and sudo; nothing here restarts or kills a service.</summary>
[Collection(TargetHostCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class SupervisorEndToEndTests
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(15);
    private readonly TargetHostFixture _fixture;
    private readonly ITestOutputHelper _output;
    private readonly TargetDefinition _target;
    private readonly IServiceManager _supervisor = new ServiceManagerProvider().For(ServiceManagerKind.Supervisor);

    public SupervisorEndToEndTests(TargetHostFixture fixture, ITestOutputHelper output)
    {
        _fixture = fixture;
        _output = output;
        _target = FixtureTarget.From(fixture.Facts);
    }

    [Theory]
    [InlineData("postgresql")]
    [InlineData("odoo")]
    [InlineData("nginx")]
    public async Task ParseStatus_FixtureProgram_RunningWithSupervisorsPid(string program)
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act: other test runs may be restarting it right now; read until RUNNING with supervisor's own pid.
        (CommandResult result, ServiceStatus status) = await RunningStatus.ReadAsync(session, _supervisor, program);

        // Assert
        _output.WriteLine(result.Stdout);
        Assert.Equal(ServiceState.Running, status.State);
        Assert.NotNull(status.MainPid);
    }

    [Fact]
    public async Task ParseStatus_ProgramNotInDropIn_ThrowsSudoersExplanation()
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act
        CommandResult result = await session.RunAsync(_supervisor.Status("redis"), CommandTimeout, CancellationToken.None);
        var error = Assert.Throws<ServiceManagerException>(() => _supervisor.ParseStatus("redis", result));

        // Assert
        Assert.Equal(
            "`sudo -n /usr/bin/supervisorctl status redis` is not allowed by the sudoers drop-in (infra/target/sudoers.d/remediation) on this target (sudo: a password is required); add exactly this command line to it, or fix the command.",
            error.Message);
    }

    [Fact]
    public async Task FindLeftovers_OdooStandIn_FoundWithItsCommandLine()
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);
        (_, ServiceStatus odoo) = await RunningStatus.ReadAsync(session, _supervisor, "odoo");

        // Act
        CommandResult result = await session.RunAsync(ProcessCommands.FindLeftovers("odoo", "odoo-bin"), CommandTimeout, CancellationToken.None);
        IReadOnlyList<LeftoverProcess> processes = ProcessCommands.ParseLeftovers(result);

        // Assert: the stand-in supervisor reports (unless another run restarted it in between, then still one odoo-bin).
        _output.WriteLine(result.Stdout);
        LeftoverProcess found = Assert.Single(processes);
        Assert.Contains("/opt/odoo-standin/odoo-bin", found.CommandLine, StringComparison.Ordinal);
        Assert.True(found.Pid == odoo.MainPid || await TargetHostFixture.GetSupervisorPidAsync("odoo") != odoo.MainPid, $"pgrep found {found.Pid}, supervisor says {odoo.MainPid}");
    }

    [Fact]
    public async Task FindLeftovers_NonsensePattern_None()
    {
        // Arrange
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act
        CommandResult result = await session.RunAsync(ProcessCommands.FindLeftovers("odoo", "no-such-process-xyz"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.Equal(1, result.ExitCode);
        Assert.Empty(ProcessCommands.ParseLeftovers(result));
    }

    [Fact]
    public async Task FindLeftovers_PatternInOurOwnCommandLine_DoesNotFindOurselves()
    {
        // Arrange: the shell sshd runs for this command has "odoo-bin" in its command line, as ops.
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act
        CommandResult result = await session.RunAsync(ProcessCommands.FindLeftovers("ops", "odoo-bin"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.Empty(ProcessCommands.ParseLeftovers(result));
    }

    [Fact]
    public async Task KillLeftovers_PatternNotInDropIn_RefusedBySudoAndNothingKilled()
    {
        // Arrange
        await _fixture.WaitForOdooHealthyAsync(TimeSpan.FromSeconds(30));
        int? odooPid = await TargetHostFixture.GetSupervisorPidAsync("odoo");
        await using ISshSession session = await FixtureTarget.Connector().ConnectAsync(_target, CancellationToken.None);

        // Act
        CommandResult result = await session.RunAsync(ProcessCommands.KillLeftovers("odoo", "odoo"), CommandTimeout, CancellationToken.None);

        // Assert
        Assert.Throws<ServiceManagerException>(() => ProcessCommands.ParseKill(result));
        Assert.Equal(odooPid, await TargetHostFixture.GetSupervisorPidAsync("odoo"));
    }
}
