package io.heldar.core.store;

/**
 * A node tried to write for a camera whose lease it no longer holds (expired, taken over at a
 * higher epoch, or released): the transaction rolls back, nothing of it commits.
 */
public final class LeaseLostException extends StoreException {
  private static final long serialVersionUID = 1L;
  private final transient LeaseStore.Lease lease;

  /**
   * @param lease the lease the node believed it held
   * @param reason what the database holds instead
   */
  public LeaseLostException(LeaseStore.Lease lease, String reason) {
    super("node " + lease.nodeId() + " lost the " + lease.duty().dbValue() + " lease of camera "
        + lease.cameraId() + " (epoch " + lease.epoch() + "): " + reason);
    this.lease = lease;
  }

  /**
   * Work for a camera whose lease this node does not hold at all (never took it, or gave it up).
   *
   * @param nodeId the node
   * @param cameraId the camera
   * @param duty the duty
   */
  public LeaseLostException(String nodeId, String cameraId, LeaseStore.Duty duty) {
    super(
        "node " + nodeId + " does not hold the " + duty.dbValue() + " lease of camera " + cameraId);
    this.lease = null;
  }

  /** The lease the node believed it held; empty when it held none. */
  public java.util.Optional<LeaseStore.Lease> lease() {
    return java.util.Optional.ofNullable(lease);
  }
}
