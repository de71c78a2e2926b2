// The design card's line, typed as a user would, then a render. Run: ./jshell.sh samples/jshell/sample.jsh
var sales = Mesh.domain("sales").withMinio().withSparkNotebook()
var mesh = sales.build()
System.out.print(mesh.summary())
var yaml = mesh.render().toYaml()
System.out.println("yaml documents: " + yaml.lines().filter(l -> l.equals("---")).count())
try { Mesh.domain("sales").withSparkNotebook().build(); } catch (KubemeshException e) { System.out.println("expected error: " + e.getMessage()); }
/exit
