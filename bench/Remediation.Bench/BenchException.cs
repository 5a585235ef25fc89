namespace Remediation.Bench;

/// <summary>The benchmark cannot produce valid figures (a run did not restart odoo, a run failed, the fixture is not steady).</summary>
public sealed class BenchException : Exception
{
    public BenchException()
    {
    }

    public BenchException(string message)
        : base(message)
    {
    }

    public BenchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
