namespace Sweep.Silo.Hosting;

public sealed class KubernetesSettings
{
    /// <summary>
    /// Cluster mode in Kubernetes pods: Orleans' Kubernetes hosting names the silo after its pod, advertises the
    /// pod's IP (POD_IP) and listens on every interface; ids from ORLEANS_SERVICE_ID / ORLEANS_CLUSTER_ID when set.
    /// <see cref="EndpointSettings.AdvertisedAddress"/> and <see cref="EndpointSettings.ListenOnAnyAddress"/> are ignored.
    /// </summary>
    public bool Enabled { get; set; }
}
