package io.kubemesh.spark;

import io.kubemesh.core.model.DataProductRead;
import io.kubemesh.core.model.DomainModel;
import io.kubemesh.core.model.MeshModel;
import java.util.function.UnaryOperator;

/** Meshes for the tests: sales has a store and the notebook and reads marketing's campaigns bucket. */
final class Meshes {
  private Meshes() {}

  static MeshModel salesWithNotebook(UnaryOperator<SparkNotebook> settings) {
    return MeshModel.named("acme")
        .domain(DomainModel.builder().name("sales")
            .addEngines(new FakeObjectStore("sales"))
            .addEngines(settings.apply(SparkNotebook.defaults()).engine())
            .addReads(new DataProductRead("marketing", "campaigns"))
            .build())
        .domain(DomainModel.builder().name("marketing")
            .addEngines(new FakeObjectStore("marketing"))
            .build())
        .build();
  }

  static MeshModel salesWithNotebook() {
    return salesWithNotebook(UnaryOperator.identity());
  }
}
