select generate_series as generated_number from generate_series(1, 5)
