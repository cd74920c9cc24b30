using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Sweep.Pruning.Training;

/// <summary>The training multiply-adds per step from <see cref="Step"/> on (they change when compaction shrinks the network).</summary>
public sealed record FlopsChange(long Step, double FlopsPerStep);
