"""PostgreSQL: a throw-away local cluster (cluster), the target's connection (connect) and the demo
warehouse loaded into it (demo). The engine that reads built models is sqltrain.engine.postgres."""
