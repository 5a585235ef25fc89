namespace Remediation.Intake.Alerts;

/// <summary>Reads one source's native webhook payload. Never throws for bad input: the result carries the reason.</summary>
public interface IAlertParser
{
    string Source { get; }

    AlertParseResult Parse(string body);
}
