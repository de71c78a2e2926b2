/**
 * The mesh's image registry: the CNCF distribution registry with htpasswd authentication, storage on a volume or
 * in the mesh's object store, and a pull secret in every domain that uses it.
 *
 * <p>The public face is {@link io.kubemesh.registry.Registry} (settings) and
 * {@link io.kubemesh.registry.RegistryDsl} (the {@code withRegistry()} DSL methods); everything else is
 * package-private.
 */
package io.kubemesh.registry;
