namespace ModelSwap.Gateway.Management;

/// <summary>A management operation failed; <see cref="Code"/> is the envelope's machine-readable code.</summary>
public sealed class ManagementException : Exception
{
    public ManagementException(ManagementFailure failure, string code, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Code = code;
    }

    public ManagementFailure Failure { get; }

    public string Code { get; }

    public static ManagementException ModelNotFound(string model) =>
        new(ManagementFailure.NotFound, "model_not_found", $"model '{model}' is not configured and no model file has that name; GET /api/models lists the models");
}
