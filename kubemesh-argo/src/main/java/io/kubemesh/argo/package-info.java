/**
 * Argo Workflows for a domain: the workflow controller, its artifact repository in the mesh's object store, and
 * least-privilege service accounts for workflow pods.
 *
 * <p>Not built yet: this module holds the package the engine will live in, so that the module layout and the BOM
 * are stable. See the project's issues for its scope.
 */
package io.kubemesh.argo;
