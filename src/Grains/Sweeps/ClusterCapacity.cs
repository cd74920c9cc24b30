using System.Globalization;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace Sweep.Grains.Sweeps;

/// <summary>The live silos and the trial slots each publishes in its silo metadata.</summary>
public sealed class ClusterCapacity(IClusterMembershipService membership, IServiceProvider services)
{
    /// <summary>Silo metadata key under which a silo publishes its trial slots.</summary>
    public const string SlotsMetadataKey = "sweep.trial-slots";

    private readonly ISiloMetadataCache? _metadata = services.GetService(typeof(ISiloMetadataCache)) as ISiloMetadataCache;

    /// <summary>Slots per active silo.</summary>
    public IReadOnlyDictionary<SiloAddress, int> Current(int defaultSlots)
    {
        var result = new Dictionary<SiloAddress, int>();
        foreach (var member in membership.CurrentSnapshot.Members.Values)
        {
            if (member.Status != SiloStatus.Active)
            {
                continue;
            }
            var slots = defaultSlots;
            if (_metadata?.GetSiloMetadata(member.SiloAddress).Metadata.TryGetValue(SlotsMetadataKey, out var text) == true
                && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var published) && published > 0)
            {
                slots = published;
            }
            result[member.SiloAddress] = slots;
        }
        return result;
    }
}
