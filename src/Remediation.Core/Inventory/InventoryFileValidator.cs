using Microsoft.Extensions.Options;

namespace Remediation.Inventory;

/// <summary>
/// Loads the inventory when the host starts, so a missing or invalid file stops start-up with the file, field
/// and problem — instead of the first remediation request failing with a 500.
/// </summary>
public sealed class InventoryFileValidator : IValidateOptions<RemediationOptions>
{
    public ValidateOptionsResult Validate(string? name, RemediationOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.InventoryFile))
        {
            return ValidateOptionsResult.Fail("Remediation:InventoryFile is required: the path of the inventory JSON file.");
        }

        try
        {
            InventoryLoader.Load(options.InventoryFile);
            return ValidateOptionsResult.Success;
        }
        catch (InventoryException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }
    }
}
