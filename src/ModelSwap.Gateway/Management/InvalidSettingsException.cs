namespace ModelSwap.Gateway.Management;

/// <summary>
/// Settings refused before anything was written: <see cref="Fields"/> says what is wrong with each
/// (by its JSON name in <see cref="ModelSettings"/>), for the page to show beside that field. HTTP: 400
/// <c>invalid_settings</c>.
/// </summary>
public sealed class InvalidSettingsException : Exception
{
    public InvalidSettingsException(string message, IReadOnlyDictionary<string, string> fields)
        : base(message) => Fields = fields;

    public InvalidSettingsException()
    {
    }

    public InvalidSettingsException(string message)
        : base(message)
    {
    }

    public InvalidSettingsException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public IReadOnlyDictionary<string, string> Fields { get; } = new Dictionary<string, string>();
}
