"""The links stage: resolve every link the way the user's tools do, report broken ones, fix them
safely."""
