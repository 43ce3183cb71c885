using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;

namespace Mesh.Core.Benchmarks;

/// <summary>
/// A short job (the machine has 2 shared cores): one launch, 3 warm-up and 7 measured iterations.
/// Benchmarks are grouped by category, each category holding its raw-primitive baseline, so the
/// Ratio column is the cost of the format relative to the primitive it wraps.
/// </summary>
public class FormatsConfig : ManualConfig
{
    public FormatsConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(7).WithId("Formats"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        AddColumn(BenchmarkDotNet.Columns.CategoriesColumn.Default);
        Orderer = new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared);
    }
}

/// <summary>
/// For benchmarks that grow a structure as they run: one invocation per iteration (no pilot stage),
/// the structure reset to the size being measured before each iteration ([IterationSetup]), so an
/// iteration measures appends at that size and not at a size grown by the earlier iterations.
/// </summary>
public class GrowingConfig : ManualConfig
{
    public GrowingConfig()
    {
        AddJob(Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(15)
            .WithInvocationCount(1).WithUnrollFactor(1).WithId("Growing"));
        AddDiagnoser(MemoryDiagnoser.Default);
        AddLogicalGroupRules(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams);
        AddColumn(BenchmarkDotNet.Columns.CategoriesColumn.Default);
        Orderer = new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared);
    }
}
