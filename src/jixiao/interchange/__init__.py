"""Reading and writing department-years: the dataset file, and (later) Excel."""
