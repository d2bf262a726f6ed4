namespace ModelSwap.Dashboard.Tests.EndToEnd;

/// <summary>End-to-end tests share one service and one browser and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard end to end";
}
