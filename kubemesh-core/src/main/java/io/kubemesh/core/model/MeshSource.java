package io.kubemesh.core.model;

/**
 * Anything that stands for a built mesh: the model itself, or the DSL's {@code Mesh} and {@code Domain}. The
 * renderer and the applier take this, so a DSL chain can be handed to them directly.
 *
 * <pre>{@code
 * MeshSource source = MeshModel.named("acme").domain(DomainModel.builder().name("sales").build()).build();
 * MeshModel model = source.model();
 * }</pre>
 */
public interface MeshSource {

  /** The validated model; building it may throw {@link io.kubemesh.core.KubemeshException}. */
  MeshModel model();
}
