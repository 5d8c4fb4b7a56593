// CourseFlows
