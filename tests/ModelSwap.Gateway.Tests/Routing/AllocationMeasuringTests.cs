namespace ModelSwap.Gateway.Tests.Routing;

/// <summary>Tests that count the process's allocations run alone: another test's garbage would count as theirs.</summary>
[CollectionDefinition(nameof(AllocationMeasuringTests), DisableParallelization = true)]
public sealed class AllocationMeasuringTests;
