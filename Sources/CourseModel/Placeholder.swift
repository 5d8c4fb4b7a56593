// CourseModel
