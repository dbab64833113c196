//! Generates the client of openapi/pets.yaml into OUT_DIR as the module `api::pets`.

fn main() -> Result<(), clientgen::build::BuildError> {
    clientgen::build::generate_module("openapi/pets.yaml", "api::pets")?;
    Ok(())
}
