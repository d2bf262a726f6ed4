namespace ModelSwap.Hub.Store;

public sealed class ModelStoreException : Exception
{
    public ModelStoreException(ModelStoreError kind, string message)
        : base(message)
    {
        Kind = kind;
    }

    public ModelStoreError Kind { get; }
}
