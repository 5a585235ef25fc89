namespace Remediation.Probes;

/// <summary>The Odoo database lacks columns the pre-checks need: the check fails closed, naming what is missing.</summary>
public sealed class OdooSchemaException : Exception
{
    public OdooSchemaException()
    {
    }

    public OdooSchemaException(string message)
        : base(message)
    {
    }

    public OdooSchemaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
