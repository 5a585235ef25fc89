using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Remediation.Server.DurableRuntime;

/// <summary>Rejects durable runtime settings that DTFx or Azure Storage would only reject later, and more obscurely.</summary>
public sealed partial class DurableRuntimeOptionsValidator : IValidateOptions<DurableRuntimeOptions>
{
    // Azure Queue visibility timeouts cannot exceed 7 days.
    private static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    private static readonly TimeSpan MaxLeaseAcquireInterval = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan MaxLeaseInterval = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan MinWorkItemVisibilityTimeout = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan MinControlVisibilityTimeout = TimeSpan.FromSeconds(5);

    public ValidateOptionsResult Validate(string? name, DurableRuntimeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        string section = DurableRuntimeOptions.Section;

        if (string.IsNullOrEmpty(options.TaskHubName) || !TaskHubNamePattern().IsMatch(options.TaskHubName))
        {
            failures.Add(
                $"{section}:TaskHubName '{options.TaskHubName}' is invalid: use 3 to 45 letters and digits, starting with a letter " +
                "(DTFx names Azure Storage tables and queues after it; anything else fails later with " +
                "'400 The specified resource name contains invalid characters').");
        }

        if (options.PartitionCount is < 1 or > 16)
        {
            failures.Add($"{section}:PartitionCount {options.PartitionCount} is out of range: use 1 to 16.");
        }

        if (options.MaxQueuePollingInterval <= TimeSpan.Zero)
        {
            failures.Add($"{section}:MaxQueuePollingInterval must be positive (it is {options.MaxQueuePollingInterval}).");
        }

        // DTFx's activity dispatcher renews the message every 5 s; below 10 s one slow renewal would let it reappear
        // while the activity still runs.
        CheckVisibilityTimeout(failures, "WorkItemQueueVisibilityTimeout", options.WorkItemQueueVisibilityTimeout, MinWorkItemVisibilityTimeout, "DTFx renews it every 5 s while the activity runs");
        CheckVisibilityTimeout(failures, "ControlQueueVisibilityTimeout", options.ControlQueueVisibilityTimeout, MinControlVisibilityTimeout, "messages wait in memory for their orchestration's turn");

        if (options.LeaseAcquireInterval < TimeSpan.FromSeconds(1) || options.LeaseAcquireInterval > MaxLeaseAcquireInterval)
        {
            failures.Add(
                $"{section}:LeaseAcquireInterval {options.LeaseAcquireInterval} is out of range: use 1 to 15 seconds " +
                "(leases are renewed at this pace).");
        }

        // Each renewal is one table read and write with a 2 s timeout; three chances per lease keep one slow round
        // from handing a live server's partitions to another.
        if (options.LeaseInterval < options.LeaseAcquireInterval * 3 || options.LeaseInterval > MaxLeaseInterval)
        {
            failures.Add(
                $"{section}:LeaseInterval {options.LeaseInterval} is out of range: use at least three LeaseAcquireInterval " +
                $"({options.LeaseAcquireInterval * 3}) and at most {MaxLeaseInterval.TotalSeconds:0} seconds.");
        }

        if (options.SidecarPort is < 0 or > 65535)
        {
            failures.Add($"{section}:SidecarPort {options.SidecarPort} is not a TCP port: use 0 (any free port) to 65535.");
        }

        if (options.StorageAccountUri is { } uri)
        {
            if (!uri.IsAbsoluteUri || !uri.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add(
                    $"{section}:StorageAccountUri '{uri}' must be the account's blob endpoint, e.g. https://myaccount.blob.core.windows.net " +
                    "(the queue and table endpoints are derived from it).");
            }
        }
        else if (string.IsNullOrWhiteSpace(options.StorageConnectionString))
        {
            failures.Add($"{section}:StorageConnectionString is empty: set it (\"UseDevelopmentStorage=true\" for Azurite) or set {section}:StorageAccountUri.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckVisibilityTimeout(List<string> failures, string option, TimeSpan value, TimeSpan minimum, string why)
    {
        if (value < minimum || value > MaxVisibilityTimeout)
        {
            failures.Add(
                $"{DurableRuntimeOptions.Section}:{option} {value} is out of range: use {minimum.TotalSeconds:0} seconds to 7 days ({why}).");
        }
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{2,44}$", RegexOptions.CultureInvariant)]
    private static partial Regex TaskHubNamePattern();
}
