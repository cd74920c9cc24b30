namespace Sweep.Silo.Hosting;

public sealed class TlsSettings
{
    /// <summary>Require TLS between silos and from clients.</summary>
    public bool Enabled { get; set; }

    /// <summary>The silo's certificate: a PKCS#12 file (.pfx/.p12), or a PEM file with <see cref="KeyPath"/>.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Password of the PKCS#12 file (secret: from the environment or a secret store).</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>PEM private key, when <see cref="CertificatePath"/> is a PEM certificate.</summary>
    public string? KeyPath { get; set; }

    /// <summary>Require clients to present a certificate too (mutual TLS).</summary>
    public bool RequireClientCertificate { get; set; } = true;

    /// <summary>Accept any remote certificate (self-signed test deployments only).</summary>
    public bool AllowAnyRemoteCertificate { get; set; }
}
