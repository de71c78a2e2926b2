package io.kubemesh.core.apply;

/**
 * What {@link MeshApplier#destroy(io.kubemesh.core.model.MeshSource, DestroyOptions)} may delete beyond workloads.
 *
 * <p>By default destroy keeps data: PersistentVolumeClaims and generated Secrets (annotated
 * {@code kubemesh.io/retain=true}), CustomResourceDefinitions (deleting one deletes every custom resource of its kind
 * in the cluster) and the namespaces that still hold kept objects. Objects kubemesh does not own are never deleted,
 * and a namespace holding such objects is kept too.
 *
 * <pre>{@code
 * applier.destroy(mesh, DestroyOptions.purge());   // credentials and volumes go too
 * }</pre>
 *
 * @param purgeData delete retained PVCs and Secrets
 * @param purgeCrds delete the mesh's CustomResourceDefinitions
 */
public record DestroyOptions(boolean purgeData, boolean purgeCrds) {

  /** Keep data and CRDs: the default. */
  public static DestroyOptions keepData() {
    return new DestroyOptions(false, false);
  }

  /** Delete everything the mesh owns, data and CRDs included. */
  public static DestroyOptions purge() {
    return new DestroyOptions(true, true);
  }
}
