/** getStats() helpers: what the UI's connection info and the browser tests read. */

export interface InboundSummary {
  audioBytes: number;
  videoBytes: number;
  bytesReceived: number;
  packetsLost: number;
  framesDecoded: number;
}

export async function inboundSummary(pc: RTCPeerConnection): Promise<InboundSummary> {
  const report = await pc.getStats();
  const out: InboundSummary = { audioBytes: 0, videoBytes: 0, bytesReceived: 0, packetsLost: 0, framesDecoded: 0 };
  report.forEach((s: Record<string, unknown>) => {
    if (s.type !== 'inbound-rtp') return;
    const bytes = Number(s.bytesReceived ?? 0);
    if (s.kind === 'audio') out.audioBytes += bytes;
    else if (s.kind === 'video') out.videoBytes += bytes;
    out.bytesReceived += bytes;
    out.packetsLost += Number(s.packetsLost ?? 0);
    out.framesDecoded += Number(s.framesDecoded ?? 0);
  });
  return out;
}

export interface CandidateInfo {
  address: string;
  protocol: string;
  candidateType: string;
}

/** Local ICE candidates as getStats() reports them ('local-candidate' entries). */
export async function localCandidates(pc: RTCPeerConnection): Promise<CandidateInfo[]> {
  const report = await pc.getStats();
  const out: CandidateInfo[] = [];
  report.forEach((s: Record<string, unknown>) => {
    if (s.type !== 'local-candidate') return;
    out.push({ address: String(s.address ?? s.ip ?? ''), protocol: String(s.protocol ?? ''), candidateType: String(s.candidateType ?? '') });
  });
  return out;
}

/** The addresses (and the remote port) of the selected candidate pair, when connected. */
export async function selectedPair(pc: RTCPeerConnection): Promise<{ local: string; remote: string; remotePort: number } | null> {
  const report = await pc.getStats();
  let pairId: string | undefined;
  report.forEach((s: Record<string, unknown>) => {
    if (s.type === 'transport' && typeof s.selectedCandidatePairId === 'string') pairId = s.selectedCandidatePairId;
  });
  const pair = pairId ? (report.get(pairId) as Record<string, unknown> | undefined) : undefined;
  if (!pair) return null;
  const local = report.get(String(pair.localCandidateId)) as Record<string, unknown> | undefined;
  const remote = report.get(String(pair.remoteCandidateId)) as Record<string, unknown> | undefined;
  return { local: String(local?.address ?? ''), remote: String(remote?.address ?? ''), remotePort: Number(remote?.port ?? 0) };
}
