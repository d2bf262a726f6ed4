namespace ModelSwap.Hub.Store;

public enum ModelStoreError
{
    OutsideModelsDir,
}
