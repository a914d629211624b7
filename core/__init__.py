"""The ground floor: configuration, storage, URLs, the frontier's policy and staging records. Imports nothing
of the project; every other package may import it."""
