using Remediation.Activities.Services;
using Remediation.Probes;
using Remediation.ServiceManagers;
using Xunit;

namespace Remediation.Tests.Activities.Services;

/// <summary>How an outage nobody watched is bounded from the target's evidence.</summary>
[Trait("Category", "Unit")]
public sealed class EarlierOutageReaderTests
{
    private static readonly DateTime T0 = new(2026, 12, 2, 4, 36, 57, 129, DateTimeKind.Utc);

    private static readonly ServiceHistory Restarted = new()
    {
        Source = "supervisord's log (local time, UTC+00:00)",
        Resolution = "millisecond",
        StopBeganUtc = T0,
        StoppedUtc = T0.AddMilliseconds(170),
        SpawnedUtc = T0.AddMilliseconds(180),
        SpawnedPid = 200,
        Evidence = ["waiting for odoo to stop at 2026-12-02 04:36:57,129", "stopped: odoo (terminated by SIGTERM) at 2026-12-02 04:36:57,299"],
    };

    [Fact]
    public void Measure_ListeningLineAfterTheSpawn_FromStopStartToListeningOnTheServersClock()
    {
        string[] ready =
        [
            "2026-12-02 03:00:00,000 100 INFO ? odoo.service.server: HTTP service (werkzeug) running on 127.0.0.1:8069",
            "2026-12-02 04:36:57,681 200 INFO ? odoo.service.server: HTTP service (werkzeug) running on 127.0.0.1:8069",
        ];

        (EarlierOutage? outage, string? whyNot) = EarlierOutageReader.Measure("odoo", 100, Restarted, ready, Watch(ready: T0.AddSeconds(9)), TimeSpan.FromMilliseconds(20));

        Assert.Null(whyNot);
        Assert.NotNull(outage);
        Assert.Equal(T0.AddMilliseconds(-20), outage.DownFromUtc);
        Assert.Equal(0.552, outage.Seconds);
        Assert.StartsWith("from target evidence: supervisord's log (local time, UTC+00:00): \"waiting for odoo to stop at ", outage.Method, StringComparison.Ordinal);
        Assert.Contains("04:36:57,681 200 INFO", outage.Method, StringComparison.Ordinal);
        Assert.Contains("the target's clock 0.020 s ahead of the server's, corrected", outage.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_NoListeningLineProbeAnsweredAtOnce_IsAnUpperBoundSaidSo()
    {
        (EarlierOutage? outage, _) = EarlierOutageReader.Measure("odoo", 100, Restarted, [], Watch(ready: T0.AddSeconds(9)), TimeSpan.Zero);

        Assert.NotNull(outage);
        Assert.Equal(9, outage.Seconds);
        Assert.Contains("an upper bound", outage.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_ProbeSawItComeBack_EndsAtThatProbe()
    {
        (EarlierOutage? outage, _) = EarlierOutageReader.Measure("odoo", 100, Restarted, [], Watch(ready: T0.AddSeconds(3), failed: T0.AddSeconds(2)), TimeSpan.Zero);

        Assert.Equal(3, outage!.Seconds);
        Assert.Contains("answered again", outage.Method, StringComparison.Ordinal);
        Assert.DoesNotContain("upper bound", outage.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_NoStopRecorded_SaysWhyNot()
    {
        var nothing = new ServiceHistory { Source = "supervisord's log", Resolution = "millisecond" };

        (EarlierOutage? outage, string? whyNot) = EarlierOutageReader.Measure("odoo", 100, nothing, [], Watch(ready: T0), TimeSpan.Zero);

        Assert.Null(outage);
        Assert.Equal("supervisord's log records no stop of odoo after pid 100", whyNot);
    }

    [Fact]
    public void Measure_NeverAnsweredAgain_SaysWhyNot()
    {
        (EarlierOutage? outage, string? whyNot) = EarlierOutageReader.Measure("odoo", 100, Restarted, [], new ReadinessTimeline { Probe = "p" }, TimeSpan.Zero);

        Assert.Null(outage);
        Assert.Contains("has not answered since", whyNot, StringComparison.Ordinal);
    }

    [Fact]
    public void Measure_ListeningBeforeTheStop_IsInconsistentNotNegative()
    {
        string[] ready = ["2026-12-02 04:36:57,681 200 INFO ? odoo.service.server: HTTP service (werkzeug) running on 127.0.0.1:8069"];
        ServiceHistory late = Restarted with { StopBeganUtc = T0.AddSeconds(5), StoppedUtc = T0.AddSeconds(5), SpawnedUtc = null };

        (EarlierOutage? outage, string? whyNot) = EarlierOutageReader.Measure("odoo", 100, late, ready, Watch(ready: T0), TimeSpan.Zero);

        Assert.Null(outage);
        Assert.Contains("inconsistent", whyNot, StringComparison.Ordinal);
    }

    private static ReadinessTimeline Watch(DateTime ready, DateTime? failed = null) =>
        new() { Ready = true, Probe = "http://127.0.0.1:8069/web/health", ReadyUtc = ready, FirstFailureUtc = failed, IntervalMs = 50, Probes = 3 };
}
