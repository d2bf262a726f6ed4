using ModelSwap.Core.Catalog;
using ModelSwap.Core.Configuration;
using ModelSwap.Gateway.Swapping;

namespace ModelSwap.Gateway.Management;

/// <summary>Everything <see cref="InventoryJoin"/> joins, taken at one moment.</summary>
/// <param name="Generation">The scan of the models folders (with models.yaml applied); null when none was made.</param>
/// <param name="OriginOf">The manifest's origin of a model file, by its path.</param>
/// <param name="ResidentBytes">Resident memory of a process tree, by its root pid.</param>
internal sealed record InventoryInputs(
    ModelSwapConfig Config,
    IReadOnlyList<ModelStatus> Statuses,
    CatalogGeneration? Generation,
    Func<string, ModelOriginView?> OriginOf,
    Func<int, long?> ResidentBytes);
