using ModelSwap.Core.Configuration;

namespace ModelSwap.Gateway.Processes;

/// <summary>Makes the owner of one run of a model's process. Tests replace it with fakes.</summary>
internal interface IModelProcessFactory
{
    IModelProcess Create(ModelConfig model);
}
