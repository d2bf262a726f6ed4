namespace ModelSwap.Hub.Store;

public enum ModelStoreError
{
    NotFound,
    Ambiguous,
    OutsideModelsDir,
    InUse,
}
