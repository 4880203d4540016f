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

  /** The lease the node believed it held. */
  public LeaseStore.Lease lease() {
    return lease;
  }
}
