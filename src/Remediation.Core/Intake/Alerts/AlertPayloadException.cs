namespace Remediation.Intake.Alerts;

/// <summary>A payload that is not what its source documents; the message says where and what, and becomes the 400's detail.</summary>
public sealed class AlertPayloadException(string message) : Exception(message);
