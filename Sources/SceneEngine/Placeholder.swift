// SceneEngine
