using Microsoft.Extensions.Options;

namespace Remediation.Schedules;

/// <summary>Builds the calendar at start-up, so a bad window (cron, time zone, target, procedure) stops the host with the window, field and problem.</summary>
public sealed class SchedulesOptionsValidator : IValidateOptions<SchedulesOptions>
{
    private readonly IServiceProvider _services;

    public SchedulesOptionsValidator(IServiceProvider services)
    {
        _services = services;
    }

    public ValidateOptionsResult Validate(string? name, SchedulesOptions options)
    {
        try
        {
            _ = new MaintenanceCalendar(options, (Inventory.Inventory)_services.GetService(typeof(Inventory.Inventory))!);
            return ValidateOptionsResult.Success;
        }
        catch (ScheduleException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
        catch (Inventory.InventoryException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
