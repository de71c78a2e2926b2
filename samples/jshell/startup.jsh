// kubemesh JShell start-up: the DSL and its helpers, imported.
import io.kubemesh.*;
import io.kubemesh.core.*;
import io.kubemesh.core.model.*;
import io.kubemesh.core.output.*;
import io.kubemesh.core.render.*;
import io.kubemesh.core.secret.*;
import io.kubemesh.minio.*;
import io.kubemesh.spark.*;
import io.kubemesh.registry.*;
import java.nio.file.*;
System.out.println("kubemesh shell: try  Mesh.domain(\"sales\").withMinio().withSparkNotebook().build()");
