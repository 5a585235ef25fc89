using Microsoft.Extensions.Options;
using Remediation.Schedules;
using Remediation.Schedules.Scheduling;

namespace Remediation.Server.Schedules;

/// <summary>
/// The self-hosted server's timer: ticks <see cref="MaintenanceScheduler"/> every <c>Remediation:Schedules:TickInterval</c>
/// (the Functions app's TimerTrigger calls the same method). Every server on the task hub ticks; the scheduler's claims
/// make one of them fire each occurrence. A failed tick is logged and tried again at the next.
/// </summary>
public sealed partial class MaintenanceTimerService : BackgroundService
{
    private readonly MaintenanceScheduler _scheduler;
    private readonly MaintenanceCalendar _calendar;
    private readonly TimeProvider _time;
    private readonly ILogger<MaintenanceTimerService> _logger;
    private readonly TimeSpan _interval;

    public MaintenanceTimerService(MaintenanceScheduler scheduler, MaintenanceCalendar calendar, TimeProvider time, IOptions<SchedulesOptions> options, ILogger<MaintenanceTimerService> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _scheduler = scheduler;
        _calendar = calendar;
        _time = time;
        _logger = logger;
        _interval = options.Value.TickInterval > TimeSpan.Zero ? options.Value.TickInterval : TimeSpan.FromSeconds(30);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_calendar.Windows.Count == 0)
        {
            return;   // nothing to fire: no polling of storage for nothing
        }

        using var timer = new PeriodicTimer(_interval, _time);
        do
        {
            try
            {
                await _scheduler.TickAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogTickFailed(_logger, e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Maintenance scheduler tick failed ({Why}); trying again at the next tick")]
    private static partial void LogTickFailed(ILogger logger, string why);
}
